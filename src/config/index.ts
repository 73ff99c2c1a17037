export { APP_CONFIG } from './app-config';
export type { AppConfig, ZaikioEnvironment } from './app-config';
export { ConfigModule } from './config.module';
export { ConfigError, parseConfig } from './parse-config';
