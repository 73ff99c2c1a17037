/** Test data builder for item bodies: unique SKUs by default, override what a test is about. */
let counter = 0;

export interface ItemBody {
  sku: string;
  name: string;
  quantity: number;
  unit: 'sheets' | 'kg' | 'pieces' | 'rolls';
}

export function anItem(overrides: Partial<ItemBody> = {}): ItemBody {
  counter += 1;
  return {
    sku: `SKU-${counter}`,
    name: `Item ${counter}`,
    quantity: 10,
    unit: 'sheets',
    ...overrides,
  };
}
