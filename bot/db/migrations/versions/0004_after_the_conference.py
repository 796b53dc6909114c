"""after the conference: evaluations, lessons, ärenden, conflicts, display names

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa
import bot.db.base


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def _dt(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, bot.db.base.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table('person',
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=True),
    _dt('fetched_at'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_person'))
    )
    op.create_table('evaluation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('facilitering', sa.Integer(), nullable=False),
    sa.Column('teknik', sa.Integer(), nullable=False),
    sa.Column('upplagg', sa.Integer(), nullable=False),
    sa.Column('ville', sa.Text(), nullable=True),
    sa.Column('blev', sa.Text(), nullable=True),
    sa.Column('lar', sa.Text(), nullable=True),
    _dt('created_at'),
    _dt('updated_at'),
    sa.ForeignKeyConstraint(['conference_id'], ['conference.id'], name=op.f('fk_evaluation_conference_id_conference')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_evaluation_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation')),
    sa.UniqueConstraint('conference_id', 'user_id', name=op.f('uq_evaluation_conference_id_user_id'))
    )
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_region_id'), ['region_id'], unique=False)

    op.create_table('lesson',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    _dt('created_at'),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], name=op.f('fk_lesson_actor_id_actor')),
    sa.ForeignKeyConstraint(['conference_id'], ['conference.id'], name=op.f('fk_lesson_conference_id_conference')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_lesson_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson'))
    )
    with op.batch_alter_table('lesson', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lesson_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_lesson_region_id'), ['region_id'], unique=False)

    op.create_table('arende',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=True),
    sa.Column('action_item_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('raised_by', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('destination', sa.String(length=200), nullable=False),
    sa.Column('owner', sa.String(length=32), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    _dt('created_at'),
    _dt('updated_at'),
    sa.ForeignKeyConstraint(['action_item_id'], ['action_item.id'], name=op.f('fk_arende_action_item_id_action_item')),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], name=op.f('fk_arende_actor_id_actor')),
    sa.ForeignKeyConstraint(['conference_id'], ['conference.id'], name=op.f('fk_arende_conference_id_conference')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_arende_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_arende')),
    sa.UniqueConstraint('action_item_id', name=op.f('uq_arende_action_item_id'))
    )
    with op.batch_alter_table('arende', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_arende_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_arende_status'), ['status'], unique=False)

    op.create_table('arende_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=False),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    _dt('at'),
    sa.ForeignKeyConstraint(['case_id'], ['arende.id'], name=op.f('fk_arende_step_case_id_arende'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_arende_step'))
    )
    with op.batch_alter_table('arende_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_arende_step_case_id'), ['case_id'], unique=False)

    op.create_table('conflict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=True),
    sa.Column('actor_ids', sa.JSON(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=32), nullable=False),
    _dt('created_at'),
    _dt('resolved_at', nullable=True),
    sa.Column('resolved_by', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['conference_id'], ['conference.id'], name=op.f('fk_conflict_conference_id_conference')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_conflict_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflict'))
    )
    with op.batch_alter_table('conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conflict_region_id'), ['region_id'], unique=False)


def downgrade() -> None:
    for table in ('conflict', 'arende_step', 'arende', 'lesson', 'evaluation', 'person'):
        op.drop_table(table)
