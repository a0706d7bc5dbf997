import { join } from 'node:path';
import { Menu, Tray, nativeImage } from 'electron';
import {
  buildTrayMenu,
  trayIconState,
  trayTooltip,
  type TrayAction,
  type TrayState,
} from './tray-menu';
import { toElectronMenu, trayIconFile } from './tray-icons';

/** Electron glue around the pure menu: one Tray, rebuilt whenever the state changes. */
export class KeywayTray {
  private readonly tray: Tray;
  private iconState: 'normal' | 'attention' = 'normal';

  constructor(
    private readonly resourcesDir: string,
    private readonly onAction: (action: TrayAction) => void,
  ) {
    this.tray = new Tray(this.icon('normal'));
    this.tray.setToolTip('Keyway');
  }

  update(state: TrayState): void {
    const next = trayIconState(state);
    if (next !== this.iconState) {
      this.iconState = next;
      this.tray.setImage(this.icon(next));
    }
    this.tray.setToolTip(trayTooltip(state));
    this.tray.setContextMenu(
      Menu.buildFromTemplate(toElectronMenu(buildTrayMenu(state), this.onAction)),
    );
  }

  destroy(): void {
    this.tray.destroy();
  }

  private icon(state: 'normal' | 'attention') {
    const image = nativeImage.createFromPath(
      join(this.resourcesDir, trayIconFile(process.platform, state)),
    );
    if (process.platform === 'darwin') image.setTemplateImage(true);
    return image;
  }
}
