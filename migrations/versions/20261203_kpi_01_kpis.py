"""KPIs: targets, hand-entered figures, the evaluation sheet, public opt-in; indexes the fiscal-year aggregates use

Revision ID: kpi_01
Revises: ux_01
Create Date: 2026-12-03 16:30:00

"""
from alembic import op
import sqlalchemy as sa

from models.base import UTCDateTime


# revision identifiers, used by Alembic.
revision = 'kpi_01'
down_revision = 'ux_01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'kpi_targets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('indicator', sa.String(length=60), nullable=False),
        sa.Column('fiscal_year', sa.Integer(), nullable=False),
        sa.Column('value', sa.Float(), nullable=False),
        sa.Column('set_by_id', sa.Integer(), nullable=True),
        sa.Column('set_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_kpi_targets_set_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_targets')),
        sa.UniqueConstraint('indicator', 'fiscal_year', name='uq_kpi_targets_indicator_year'),
    )
    with op.batch_alter_table('kpi_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_targets_fiscal_year'), ['fiscal_year'], unique=False)
    op.create_table(
        'kpi_manual_values',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('indicator', sa.String(length=60), nullable=False),
        sa.Column('fiscal_year', sa.Integer(), nullable=False),
        sa.Column('value', sa.Float(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('entered_by_id', sa.Integer(), nullable=True),
        sa.Column('entered_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_kpi_manual_values_entered_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_manual_values')),
        sa.UniqueConstraint('indicator', 'fiscal_year', name='uq_kpi_manual_values_indicator_year'),
    )
    with op.batch_alter_table('kpi_manual_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_manual_values_fiscal_year'), ['fiscal_year'], unique=False)
    op.create_table(
        'kpi_evaluation_weights',
        sa.Column('fiscal_year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('weight_i', sa.Integer(), nullable=False),
        sa.Column('weight_ii', sa.Integer(), nullable=False),
        sa.Column('weight_iii', sa.Integer(), nullable=False),
        sa.Column('set_by_id', sa.Integer(), nullable=True),
        sa.Column('set_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_kpi_evaluation_weights_set_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('fiscal_year', name=op.f('pk_kpi_evaluation_weights')),
    )
    op.create_table(
        'kpi_evaluators',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('fiscal_year', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('named_by_id', sa.Integer(), nullable=True),
        sa.Column('named_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['named_by_id'], ['users.id'], name=op.f('fk_kpi_evaluators_named_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_kpi_evaluators_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_evaluators')),
        sa.UniqueConstraint('fiscal_year', 'user_id', name='uq_kpi_evaluators_year_user'),
    )
    with op.batch_alter_table('kpi_evaluators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_evaluators_fiscal_year'), ['fiscal_year'], unique=False)
    op.create_table(
        'kpi_evaluation_scores',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('fiscal_year', sa.Integer(), nullable=False),
        sa.Column('evaluator_id', sa.Integer(), nullable=True),
        sa.Column('score_i', sa.Integer(), nullable=False),
        sa.Column('score_ii', sa.Integer(), nullable=False),
        sa.Column('score_iii', sa.Integer(), nullable=False),
        sa.Column('comment_i', sa.Text(), nullable=False),
        sa.Column('comment_ii', sa.Text(), nullable=False),
        sa.Column('comment_iii', sa.Text(), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['evaluator_id'], ['users.id'], name=op.f('fk_kpi_evaluation_scores_evaluator_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_evaluation_scores')),
        sa.UniqueConstraint('fiscal_year', 'evaluator_id', name='uq_kpi_evaluation_scores_year_evaluator'),
    )
    with op.batch_alter_table('kpi_evaluation_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_evaluation_scores_fiscal_year'), ['fiscal_year'], unique=False)
    op.create_table(
        'kpi_public_indicators',
        sa.Column('indicator', sa.String(length=60), nullable=False),
        sa.Column('published_by_id', sa.Integer(), nullable=True),
        sa.Column('published_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_kpi_public_indicators_published_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('indicator', name=op.f('pk_kpi_public_indicators')),
    )
    op.create_index('ix_regulatory_needs_submitted_at', 'regulatory_needs', ['submitted_at'], unique=False)
    op.create_index('ix_need_events_to_status_created_at', 'need_events', ['to_status', 'created_at'], unique=False)
    op.create_index('ix_trial_requests_created_at', 'trial_requests', ['created_at'], unique=False)
    op.create_index('ix_introductions_introduced_at', 'introductions', ['introduced_at'], unique=False)
    op.create_index('ix_introductions_request_introduced', 'introductions', ['trial_request_id', 'introduced_at'], unique=False)
    op.create_index('ix_audit_entries_action_created_at', 'audit_entries', ['action', 'created_at'], unique=False)


def downgrade():
    op.drop_index('ix_audit_entries_action_created_at', table_name='audit_entries')
    op.drop_index('ix_introductions_request_introduced', table_name='introductions')
    op.drop_index('ix_introductions_introduced_at', table_name='introductions')
    op.drop_index('ix_trial_requests_created_at', table_name='trial_requests')
    op.drop_index('ix_need_events_to_status_created_at', table_name='need_events')
    op.drop_index('ix_regulatory_needs_submitted_at', table_name='regulatory_needs')
    op.drop_table('kpi_public_indicators')
    with op.batch_alter_table('kpi_evaluation_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_evaluation_scores_fiscal_year'))
    op.drop_table('kpi_evaluation_scores')
    with op.batch_alter_table('kpi_evaluators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_evaluators_fiscal_year'))
    op.drop_table('kpi_evaluators')
    op.drop_table('kpi_evaluation_weights')
    with op.batch_alter_table('kpi_manual_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_manual_values_fiscal_year'))
    op.drop_table('kpi_manual_values')
    with op.batch_alter_table('kpi_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_targets_fiscal_year'))
    op.drop_table('kpi_targets')
