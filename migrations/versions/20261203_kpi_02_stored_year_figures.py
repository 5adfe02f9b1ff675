"""KPIs: stored figures of closed fiscal years (kpi_stored_years, kpi_stored_figures); indexes for the
current year's live aggregates

Revision ID: kpi_02
Revises: kpi_01
Create Date: 2026-12-03 19:40:00

"""
from alembic import op
import sqlalchemy as sa

from models.base import UTCDateTime


# revision identifiers, used by Alembic.
revision = 'kpi_02'
down_revision = 'rel_03'
branch_labels = None
depends_on = None


# (table, kpi_01's index and its columns, the covering index replacing it and its columns)
COVERING = [
    ('regulatory_needs', 'ix_regulatory_needs_submitted_at', ['submitted_at'],
     'ix_regulatory_needs_submitted_status_group', ['submitted_at', 'status', 'group_id']),
    ('trial_requests', 'ix_trial_requests_created_at', ['created_at'],
     'ix_trial_requests_created_status_group', ['created_at', 'status', 'group_id']),
    ('introductions', 'ix_introductions_introduced_at', ['introduced_at'],
     'ix_introductions_introduced_request_challenge', ['introduced_at', 'trial_request_id', 'challenge_id']),
]


def upgrade():
    op.create_table(
        'kpi_stored_years',
        sa.Column('fiscal_year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('generation', sa.Integer(), nullable=False),
        sa.Column('stored_generation', sa.Integer(), nullable=True),
        sa.Column('stored_at', UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('fiscal_year', name=op.f('pk_kpi_stored_years')),
    )
    op.create_table(
        'kpi_stored_figures',
        sa.Column('fiscal_year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('scope', sa.String(length=30), nullable=False),
        sa.Column('indicator', sa.String(length=60), nullable=False),
        sa.Column('value', sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(['fiscal_year'], ['kpi_stored_years.fiscal_year'],
                                name=op.f('fk_kpi_stored_figures_fiscal_year_kpi_stored_years'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('fiscal_year', 'scope', 'indicator', name=op.f('pk_kpi_stored_figures')),
    )
    # Covering indexes for the current year's live aggregates: they replace kpi_01's one-column ones.
    for table, old, _old_columns, new, columns in COVERING:
        op.drop_index(old, table_name=table)
        op.create_index(new, table, columns, unique=False)


def downgrade():
    for table, old, old_columns, new, _columns in COVERING:
        op.drop_index(new, table_name=table)
        op.create_index(old, table, old_columns, unique=False)
    op.drop_table('kpi_stored_figures')
    op.drop_table('kpi_stored_years')
