"""organisations ask the secretariat to change sector, tier or status; login failures remember the device; users can be removed

Revision ID: sec_01
Revises: api_01
Create Date: 2026-12-03 16:20:00

"""
from alembic import op
import sqlalchemy as sa

import models.base


# revision identifiers, used by Alembic.
revision = 'sec_01'
down_revision = 'api_01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'organisation_change_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.Enum('sector', 'tier', 'status', name='changekind', native_enum=False, length=20), nullable=False),
        sa.Column('old_value', sa.String(length=20), nullable=False),
        sa.Column('new_value', sa.String(length=20), nullable=False),
        sa.Column('new_category', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('status', sa.Enum('pending', 'approved', 'rejected', name='changerequeststatus', native_enum=False, length=20), nullable=False),
        sa.Column('decision_reason', sa.Text(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_organisation_change_requests_decided_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_change_requests_organisation_id_organisations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_organisation_change_requests_requested_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_change_requests')),
    )
    with op.batch_alter_table('organisation_change_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_change_requests_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index('ix_organisation_change_requests_status', ['status', 'created_at'], unique=False)
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('device', sa.String(length=32), server_default='', nullable=False))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removed_at', models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('removed_at')
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_column('device')
    with op.batch_alter_table('organisation_change_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_organisation_change_requests_status')
        batch_op.drop_index(batch_op.f('ix_organisation_change_requests_organisation_id'))
    op.drop_table('organisation_change_requests')
