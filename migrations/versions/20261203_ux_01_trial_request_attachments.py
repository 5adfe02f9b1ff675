"""trial requests: drafts (a new status value, stored as text) and attached files

Revision ID: ux_01
Revises: scale_01
Create Date: 2026-12-03 16:30:00

"""
from alembic import op
import sqlalchemy as sa

import models


# revision identifiers, used by Alembic.
revision = 'ux_01'
down_revision = 'scale_01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('trial_request_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trial_request_id', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('storage_name', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['trial_request_id'], ['trial_requests.id'], name=op.f('fk_trial_request_attachments_trial_request_id_trial_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_trial_request_attachments_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trial_request_attachments')),
    sa.UniqueConstraint('storage_name', name=op.f('uq_trial_request_attachments_storage_name'))
    )
    with op.batch_alter_table('trial_request_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trial_request_attachments_trial_request_id'), ['trial_request_id'], unique=False)


def downgrade():
    with op.batch_alter_table('trial_request_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trial_request_attachments_trial_request_id'))
    op.drop_table('trial_request_attachments')
