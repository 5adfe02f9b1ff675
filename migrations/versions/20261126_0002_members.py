"""members

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 01:03:00.623360

"""
from alembic import op
import sqlalchemy as sa

import models.base


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    # Existing organisations get empty tags and contacts (server defaults) when the columns arrive.
    op.create_table('dues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('tier', sa.Enum('regular', 'supporting', 'special', name='membershiptier', native_enum=False, length=20), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('invoiced', 'paid', 'waived', name='duestatus', native_enum=False, length=20), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_dues_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dues')),
    sa.UniqueConstraint('organisation_id', 'fiscal_year', name='uq_dues_organisation_year')
    )
    with op.batch_alter_table('dues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dues_fiscal_year'), ['fiscal_year'], unique=False)

    op.create_table('offices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('chair', 'vice_chair', 'board', name='officekind', native_enum=False, length=20), nullable=False),
    sa.Column('person_name', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('term_start', sa.Date(), nullable=False),
    sa.Column('term_end', sa.Date(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_offices_organisation_id_organisations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offices'))
    )
    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_invitations_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitations_token_hash'))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('membership_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=True),
    sa.Column('tier', sa.Enum('regular', 'supporting', 'special', name='membershiptier', native_enum=False, length=20), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'approved', 'rejected', name='applicationstatus', native_enum=False, length=20), nullable=False),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['applicant_id'], ['users.id'], name=op.f('fk_membership_applications_applicant_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_membership_applications_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_membership_applications_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_applications'))
    )
    with op.batch_alter_table('membership_applications', schema=None) as batch_op:
        batch_op.create_index('ix_membership_applications_status', ['status'], unique=False)

    op.create_table('organisation_status_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('old_status', sa.Enum('applicant', 'active', 'suspended', 'withdrawn', name='organisationstatus', native_enum=False, length=20), nullable=False),
    sa.Column('new_status', sa.Enum('applicant', 'active', 'suspended', 'withdrawn', name='organisationstatus', native_enum=False, length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_organisation_status_changes_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_status_changes_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_status_changes'))
    )
    with op.batch_alter_table('organisation_status_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_status_changes_organisation_id'), ['organisation_id'], unique=False)

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('capability_tags', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('tier', sa.Enum('regular', 'supporting', 'special', name='membershiptier', native_enum=False, length=20), nullable=True))
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('phone', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('joined_at', models.base.UTCDateTime(timezone=True), nullable=True))

    # ### end Alembic commands ###


def downgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('joined_at')
        batch_op.drop_column('phone')
        batch_op.drop_column('contact_email')
        batch_op.drop_column('tier')
        batch_op.drop_column('capability_tags')

    with op.batch_alter_table('organisation_status_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_status_changes_organisation_id'))

    op.drop_table('organisation_status_changes')
    with op.batch_alter_table('membership_applications', schema=None) as batch_op:
        batch_op.drop_index('ix_membership_applications_status')

    op.drop_table('membership_applications')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_organisation_id'))

    op.drop_table('invitations')
    op.drop_table('offices')
    with op.batch_alter_table('dues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dues_fiscal_year'))

    op.drop_table('dues')
    # ### end Alembic commands ###
