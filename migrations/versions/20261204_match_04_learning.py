"""Learning from the secretariat: candidates dismissed as not relevant (match_dismissals) and the
learnt component weights in force (matcher_weights)

Revision ID: match_04
Revises: match_03
Create Date: 2026-12-04 14:30:00

"""
from alembic import op
import sqlalchemy as sa

from models.base import UTCDateTime


# revision identifiers, used by Alembic.
revision = 'match_04'
down_revision = 'match_03'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'match_dismissals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('trial_request_id', sa.Integer(), nullable=False),
        sa.Column('candidate_kind', sa.String(length=20), nullable=False),
        sa.Column('candidate_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['trial_request_id'], ['trial_requests.id'],
                                name=op.f('fk_match_dismissals_trial_request_id_trial_requests'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_match_dismissals_user_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_match_dismissals')),
        sa.UniqueConstraint('trial_request_id', 'candidate_kind', 'candidate_id',
                            name='uq_match_dismissals_request_candidate'),
    )
    op.create_table(
        'matcher_weights',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('weights', sa.JSON(), nullable=True),
        sa.Column('label_count', sa.Integer(), nullable=False),
        sa.Column('applied_by', sa.String(length=200), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_matcher_weights')),
    )


def downgrade():
    op.drop_table('matcher_weights')
    op.drop_table('match_dismissals')
