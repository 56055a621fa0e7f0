import { ApiProperty } from "@nestjs/swagger";

/** An item as the API answers it. */
export class ItemDto {
  @ApiProperty({ type: "integer", minimum: 1, maximum: 2147483647 })
  id!: number;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ format: "date-time" })
  created_at!: string;

  @ApiProperty({ format: "date-time" })
  updated_at!: string;
}

/** A page of items, with the number of items that match in all. */
export class ItemPageDto {
  @ApiProperty({ type: [ItemDto] })
  items!: ItemDto[];

  @ApiProperty({ type: "integer" })
  total!: number;

  @ApiProperty({ type: "integer" })
  limit!: number;

  @ApiProperty({ type: "integer" })
  offset!: number;
}
