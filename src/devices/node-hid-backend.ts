// HID devices through node-hid (hidraw on Linux). Loaded on first use: node-hid needs libusb at
// load time, and a terminal without HID scanners must start without it.
import type * as NodeHidModule from 'node-hid';
import type { HidBackend, HidConnection, HidDeviceInfo } from './hid-backend.js';

type NodeHid = typeof NodeHidModule;

let loading: Promise<NodeHid> | null = null;

function load(): Promise<NodeHid> {
  loading ??= import('node-hid').catch((error: unknown) => {
    loading = null; // try again at the next poll: libusb may have been installed meanwhile
    throw error;
  });
  return loading;
}

export function createNodeHidBackend(): HidBackend {
  return {
    async list(): Promise<HidDeviceInfo[]> {
      const hid = await load();
      const devices = await hid.devicesAsync();
      return devices.flatMap((d) =>
        d.path === undefined
          ? []
          : [{
              path: d.path,
              vendorId: d.vendorId,
              productId: d.productId,
              ...(d.usagePage !== undefined && { usagePage: d.usagePage }),
              ...(d.product !== undefined && { product: d.product }),
              ...(d.serialNumber !== undefined && { serialNumber: d.serialNumber }),
            }],
      );
    },

    async open(path: string): Promise<HidConnection> {
      const hid = await load();
      const device = await hid.HIDAsync.open(path);
      const errorListeners: ((error: Error) => void)[] = [];
      // Listening at once: an 'error' without a listener would throw out of node-hid's read loop.
      device.on('error', (error: unknown) => {
        const e = error instanceof Error ? error : new Error(String(error));
        for (const listener of errorListeners) listener(e);
      });
      return {
        onData: (listener) => void device.on('data', (report: Buffer) => listener(report)),
        onError: (listener) => void errorListeners.push(listener),
        write: async (report) => {
          await device.write([...report]);
        },
        close: () => device.close(),
      };
    },
  };
}
