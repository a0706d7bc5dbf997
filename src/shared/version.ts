import pkg from '../../package.json';

export const KEYWAY_VERSION: string = pkg.version;
