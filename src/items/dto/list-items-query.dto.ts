import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** GET /api/v1/items query. Query values arrive as strings; @Type converts before validation. */
export class ListItemsQueryDto {
  // Capped so that the offset, (page - 1) * per_page, stays an exact integer PostgreSQL accepts.
  @ApiProperty({
    type: 'integer',
    format: 'int32',
    required: false,
    default: 1,
    minimum: 1,
    maximum: 2_147_483_647,
    example: 1,
  })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  page: number = 1;

  @ApiProperty({
    type: 'integer',
    format: 'int32',
    required: false,
    default: 100,
    minimum: 1,
    maximum: 100,
    example: 25,
  })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  per_page: number = 100;
}
