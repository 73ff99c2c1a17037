export { APP_CONFIG, LOG_LEVELS } from './app-config';
export type {
  AppConfig,
  EventsConfig,
  LogLevelName,
  RateLimitConfig,
  ZaikioEnvironment,
} from './app-config';
export { ConfigModule } from './config.module';
export { ConfigError, parseConfig } from './parse-config';
