import { ItemUnit } from '../database';

/** The fields a client controls; everything else on an item is set by the server. */
export interface ItemInput {
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unit: ItemUnit;
}

export type ItemChanges = Partial<ItemInput>;
