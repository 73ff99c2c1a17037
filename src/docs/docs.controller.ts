import { Controller, Get, Header, StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../zaikio';
import { renderLogo } from './logo';
import { DOCS_ROUTE, ZaikioManifest, zaikioManifest } from './manifest';

const LOGO = renderLogo();

/** Zaikio's manifest and the logo it names: public, like the rest of /docs, and not an API. */
@Public()
@ApiExcludeController()
@Controller(DOCS_ROUTE)
export class DocsController {
  @Get('manifest.json')
  manifest(): ZaikioManifest {
    return zaikioManifest();
  }

  @Get('logo.png')
  @Header('Cache-Control', 'public, max-age=86400')
  logo(): StreamableFile {
    return new StreamableFile(LOGO, { type: 'image/png', length: LOGO.length });
  }
}
