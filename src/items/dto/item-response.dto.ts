import { ApiProperty } from '@nestjs/swagger';
import { ItemRow, ItemUnit, PartyType } from '../../database';
import { PARTY_ID_PATTERN } from '../../zaikio';
import { NAME_SCHEMA, QUANTITY_SCHEMA, SKU_SCHEMA, UNIT_SCHEMA } from './item-fields';

export class PartyDto {
  @ApiProperty({ enum: ['Organization', 'Person'], example: 'Person' })
  type!: PartyType;

  @ApiProperty({ pattern: PARTY_ID_PATTERN, example: '2c7b8ba5-3a4e-4b59-9c3b-6f1f0d0a8e11' })
  id!: string;
}

/** An item as the API returns it. */
export class ItemResponseDto {
  @ApiProperty({ format: 'uuid', example: '0b6b4c1e-94a4-4c8e-a8a4-5c0e8a1f6d2b' })
  id!: string;

  @ApiProperty(SKU_SCHEMA)
  sku!: string;

  @ApiProperty(NAME_SCHEMA)
  name!: string;

  @ApiProperty(QUANTITY_SCHEMA)
  quantity!: number;

  @ApiProperty(UNIT_SCHEMA)
  unit!: ItemUnit;

  @ApiProperty({ format: 'date-time', example: '2025-01-31T09:30:00.000Z' })
  created_at!: string;

  @ApiProperty({ format: 'date-time', example: '2025-02-01T14:05:12.345Z' })
  updated_at!: string;

  @ApiProperty({ type: PartyDto, description: 'The on-behalf person, else the organization' })
  created_by!: PartyDto;

  @ApiProperty({ type: PartyDto, description: 'The on-behalf person, else the organization' })
  updated_by!: PartyDto;
}

export function toItemResponse(row: ItemRow): ItemResponseDto {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    quantity: row.quantity,
    unit: row.unit,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    created_by: { type: row.created_by_type, id: row.created_by_id },
    updated_by: { type: row.updated_by_type, id: row.updated_by_id },
  };
}
