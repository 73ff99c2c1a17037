export {
  createRootLogger,
  levelFromNestOption,
  PinoNestLogger,
  REDACTED_PATHS,
  requestLogger,
} from './logger';
