"""groups: memberships, meetings, attendance, minutes, attachments, calendar feed tokens

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-26 01:05:52.230605

"""
from alembic import op
import sqlalchemy as sa

import models.base


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('group_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('online_url', sa.String(length=500), nullable=False),
    sa.Column('agenda', sa.Text(), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('minutes_updated_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['working_groups.id'], name=op.f('fk_group_meetings_group_id_working_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_meetings'))
    )
    with op.batch_alter_table('group_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_meetings_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_meetings_starts_at'), ['starts_at'], unique=False)

    op.create_table('calendar_feed_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('token_digest', sa.String(length=64), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['working_groups.id'], name=op.f('fk_calendar_feed_tokens_group_id_working_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feed_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feed_tokens')),
    sa.UniqueConstraint('token_digest', name=op.f('uq_calendar_feed_tokens_token_digest'))
    )
    with op.batch_alter_table('calendar_feed_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_feed_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('group_memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.Enum('chair', 'member', 'observer', name='grouprole', native_enum=False, length=20), nullable=False),
    sa.Column('status', sa.Enum('pending', 'active', 'rejected', 'left', name='membershipstatus', native_enum=False, length=20), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(user_id IS NULL) <> (organisation_id IS NULL)', name=op.f('ck_group_memberships_one_holder')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_group_memberships_decided_by_id_users')),
    sa.ForeignKeyConstraint(['group_id'], ['working_groups.id'], name=op.f('fk_group_memberships_group_id_working_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_group_memberships_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_group_memberships_requested_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_group_memberships_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_memberships'))
    )
    with op.batch_alter_table('group_memberships', schema=None) as batch_op:
        batch_op.create_index('ix_group_memberships_group_status', ['group_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_memberships_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_memberships_user_id'), ['user_id'], unique=False)

    op.create_table('meeting_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['group_meetings.id'], name=op.f('fk_meeting_attachments_meeting_id_group_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_meeting_attachments_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_attachments')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_meeting_attachments_stored_name'))
    )
    with op.batch_alter_table('meeting_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_attachments_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('meeting_attendances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('invited', 'attending', 'declined', 'attended', name='attendancestatus', native_enum=False, length=20), nullable=False),
    sa.Column('responded_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['group_meetings.id'], name=op.f('fk_meeting_attendances_meeting_id_group_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_meeting_attendances_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_attendances')),
    sa.UniqueConstraint('meeting_id', 'user_id', name='uq_meeting_attendances_meeting_user')
    )
    with op.batch_alter_table('meeting_attendances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_attendances_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('working_groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('axis', sa.Enum('industry', 'living', 'talent', name='groupaxis', native_enum=False, length=20), nullable=False, server_default='industry'))
        batch_op.add_column(sa.Column('theme_tags', sa.String(length=400), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('summary_ja', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('summary_en', sa.Text(), nullable=False, server_default=''))



def downgrade():
    with op.batch_alter_table('working_groups', schema=None) as batch_op:
        batch_op.drop_column('summary_en')
        batch_op.drop_column('summary_ja')
        batch_op.drop_column('theme_tags')
        batch_op.drop_column('axis')

    with op.batch_alter_table('meeting_attendances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_attendances_user_id'))

    op.drop_table('meeting_attendances')
    with op.batch_alter_table('meeting_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_attachments_meeting_id'))

    op.drop_table('meeting_attachments')
    with op.batch_alter_table('group_memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_memberships_user_id'))
        batch_op.drop_index(batch_op.f('ix_group_memberships_organisation_id'))
        batch_op.drop_index('ix_group_memberships_group_status')

    op.drop_table('group_memberships')
    with op.batch_alter_table('calendar_feed_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_feed_tokens_user_id'))

    op.drop_table('calendar_feed_tokens')
    with op.batch_alter_table('group_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_meetings_starts_at'))
        batch_op.drop_index(batch_op.f('ix_group_meetings_group_id'))

    op.drop_table('group_meetings')
