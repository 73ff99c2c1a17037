import { ItemUnit } from '../../database';
import { ItemChanges } from '../item';
import { NameField, QuantityField, SkuField, UnitField } from './item-fields';

/** PATCH /api/v1/items/:id body: any subset of the fields, with the same rules; null is refused. */
export class UpdateItemDto implements ItemChanges {
  @SkuField({ required: false })
  sku?: string;

  @NameField({ required: false })
  name?: string;

  @QuantityField({ required: false })
  quantity?: number;

  @UnitField({ required: false })
  unit?: ItemUnit;
}
