"""outbox: region of every row, unknown-outcome marker, posted ts

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 00:30:00
"""
from alembic import op
import sqlalchemy as sa
import bot.db.base


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('sending_since', bot.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('ts', sa.String(length=32), nullable=True))
    # Rows written before regions were kept apart belong to the oldest region (a database
    # served one region file until now).
    op.execute("UPDATE outbox SET region_id = (SELECT MIN(id) FROM region) WHERE region_id IS NULL")
    op.execute("DELETE FROM outbox WHERE region_id IS NULL")  # no region at all: nothing could post them
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('region_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_region_id_region'), 'region', ['region_id'], ['id'])
        batch_op.create_index('ix_outbox_region_id_status_id', ['region_id', 'status', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_region_id_status_id')
        batch_op.drop_constraint(batch_op.f('fk_outbox_region_id_region'), type_='foreignkey')
        batch_op.drop_column('ts')
        batch_op.drop_column('sending_since')
        batch_op.drop_column('region_id')
