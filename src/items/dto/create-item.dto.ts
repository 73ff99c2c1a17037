import { ItemUnit } from '../../database';
import { ItemInput } from '../item';
import { NameField, QuantityField, SkuField, UnitField } from './item-fields';

/** POST /api/v1/items body: every field required. */
export class CreateItemDto implements ItemInput {
  @SkuField({ required: true })
  sku!: string;

  @NameField({ required: true })
  name!: string;

  @QuantityField({ required: true })
  quantity!: number;

  @UnitField({ required: true })
  unit!: ItemUnit;
}
