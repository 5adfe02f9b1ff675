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
down_revision = 'kpi_01'
branch_labels = None
depends_on = None


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


def downgrade():
    op.drop_table('kpi_stored_figures')
    op.drop_table('kpi_stored_years')
