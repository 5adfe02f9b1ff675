"""Organisations' service areas for the matcher (service_scope, service_area, service_radius_km)

Revision ID: match_03
Revises: kpi_02
Create Date: 2026-12-03 21:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'match_03'
down_revision = 'kpi_02'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('service_scope', sa.String(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('service_area', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('service_radius_km', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('service_radius_km')
        batch_op.drop_column('service_area')
        batch_op.drop_column('service_scope')
