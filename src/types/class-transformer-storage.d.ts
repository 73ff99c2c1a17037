// class-transformer ships this module's types under types/, not next to cjs/storage.js, which is
// where @nestjs/mapped-types also reads the metadata of @Type() from.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
