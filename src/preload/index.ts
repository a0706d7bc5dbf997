import { contextBridge, ipcRenderer } from 'electron';
import { mapRejections, toBridged } from '../shared/bridge-errors';
import { buildPreloadApi } from './preload-api';
import { buildWindowApi } from './window-api';

// Failures cross the bridge as data, so the page gets KeywayErrors back with their `code`.
contextBridge.exposeInMainWorld('keyway', mapRejections(buildPreloadApi(ipcRenderer), toBridged));
contextBridge.exposeInMainWorld('keywayWindow', buildWindowApi(ipcRenderer));
