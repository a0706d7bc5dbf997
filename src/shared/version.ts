// The named import keeps the bundle to the one field (a default import inlines all of package.json).
import { version } from '../../package.json';

export const KEYWAY_VERSION: string = version;
