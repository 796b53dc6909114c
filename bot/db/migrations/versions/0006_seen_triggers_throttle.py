"""seen slash command triggers, throttle hits

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 00:10:00
"""
from alembic import op
import sqlalchemy as sa
import bot.db.base


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('seen_trigger',
    sa.Column('trigger_id', sa.String(length=255), nullable=False),
    sa.Column('received_at', bot.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('trigger_id', name=op.f('pk_seen_trigger'))
    )
    with op.batch_alter_table('seen_trigger', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seen_trigger_received_at'), ['received_at'], unique=False)

    op.create_table('throttle_hit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('at', bot.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_throttle_hit_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_throttle_hit'))
    )
    with op.batch_alter_table('throttle_hit', schema=None) as batch_op:
        batch_op.create_index('ix_throttle_hit_key', ['region_id', 'user_id', 'kind', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('throttle_hit', schema=None) as batch_op:
        batch_op.drop_index('ix_throttle_hit_key')

    op.drop_table('throttle_hit')
    with op.batch_alter_table('seen_trigger', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seen_trigger_received_at'))

    op.drop_table('seen_trigger')
