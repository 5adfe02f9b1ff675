"""version columns for optimistic locking: a stale save is shown back instead of overwriting

Revision ID: rel_02
Revises: rel_01
Create Date: 2026-12-03 17:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'rel_02'
down_revision = 'rel_01'
branch_labels = None
depends_on = None

TABLES = ('regulatory_needs', 'proposal_packages', 'organisations', 'trial_sites', 'trial_requests',
          'regional_challenges', 'working_groups', 'group_meetings')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
