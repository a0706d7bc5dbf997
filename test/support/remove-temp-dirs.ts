import { afterAll } from 'vitest';
import { removeTempDataDirs } from './keyway-process';

// A setup file: registered before the test file's own hooks, so (hooks run as a stack) this runs
// after them, once the servers a file started are stopped. Older tests made data directories and
// never removed them; a run used to leave about 50 behind in the temporary folder.
afterAll(removeTempDataDirs);
