import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { collectionUrl, paginationHeaders } from '../common/pagination';
import { ApiNotFound } from '../docs';
import { AccessToken, CurrentToken, ZaikioAccess } from '../zaikio';
import { CreateItemDto } from './dto/create-item.dto';
import { ItemResponseDto, toItemResponse } from './dto/item-response.dto';
import { ListItemsQueryDto } from './dto/list-items-query.dto';
import { UpdateItemDto } from './dto/update-item.dto';
import { ItemsService } from './items.service';
import { tenantOf } from './tenant';

const ApiItemId = (): MethodDecorator =>
  ApiParam({
    name: 'id',
    description: "The item's id, as its create answer gave it; another organization's is a 404",
  });

/**
 * The bearer organization's items. Permissions are the guard's job (rules below); every call
 * here is scoped to the organization of the token, and `:id` of another tenant is a 404.
 */
@ApiTags('items')
@Controller('api/v1/items')
@ZaikioAccess({ scope: 'items', bearer: 'Organization' })
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  @Get()
  // Pagination parameters and headers are documented for every list by src/docs.
  @ApiOkResponse({ type: ItemResponseDto, isArray: true })
  async list(
    @CurrentToken() token: AccessToken,
    @Query() query: ListItemsQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ItemResponseDto[]> {
    const { page, per_page: perPage } = query;
    const { items, totalCount } = await this.items.list(tenantOf(token), page, perPage);
    const baseUrl = collectionUrl(request.protocol, request.get('host'), request.originalUrl);
    response.set(paginationHeaders({ baseUrl, page, perPage, totalCount }));
    return items.map(toItemResponse);
  }

  @Post()
  @ApiCreatedResponse({ type: ItemResponseDto })
  async create(
    @CurrentToken() token: AccessToken,
    @Body() body: CreateItemDto,
  ): Promise<ItemResponseDto> {
    return toItemResponse(await this.items.create(tenantOf(token), body));
  }

  // `:id` is not parsed as a UUID here on purpose: a malformed id is just an id that does not
  // exist (404), and the repository never sends it to SQL.
  @Get(':id')
  @ApiOkResponse({ type: ItemResponseDto })
  @ApiNotFound('item')
  @ApiItemId()
  async get(@CurrentToken() token: AccessToken, @Param('id') id: string): Promise<ItemResponseDto> {
    return toItemResponse(await this.items.get(tenantOf(token), id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: ItemResponseDto })
  @ApiNotFound('item')
  @ApiItemId()
  async update(
    @CurrentToken() token: AccessToken,
    @Param('id') id: string,
    @Body() body: UpdateItemDto,
  ): Promise<ItemResponseDto> {
    return toItemResponse(await this.items.update(tenantOf(token), id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @ZaikioAccess({ scope: 'items', bearer: 'Organization', roles: ['owner', 'admin'] })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFound('item')
  @ApiItemId()
  async remove(@CurrentToken() token: AccessToken, @Param('id') id: string): Promise<void> {
    await this.items.remove(tenantOf(token), id);
  }
}
