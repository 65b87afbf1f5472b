// The serial ports of this machine with their stable /dev/serial/by-id names, for setting up a
// terminal's `scanners`. SerialPort.list() needs udevadm; without it the by-id folder still answers.
import { readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { SerialPort } from 'serialport';

export interface SerialPortEntry {
  /** The kernel's name, e.g. /dev/ttyACM0 (may change after a replug). */
  path: string;
  /** The stable name to put in the configuration, e.g. /dev/serial/by-id/usb-Honeywell_…-if00. */
  byId: string | null;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
}

export interface SerialPortList {
  ports: SerialPortEntry[];
  /** Set when the list is incomplete, with what to install. */
  warning?: string;
}

const BY_ID = '/dev/serial/by-id';

async function byIdLinks(): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  let names: string[];
  try {
    names = await readdir(BY_ID);
  } catch {
    return links; // no USB serial device plugged in: udev removes the folder
  }
  for (const name of names) {
    const link = join(BY_ID, name);
    try {
      links.set(await realpath(link), link);
    } catch {
      // the device went away between readdir and realpath
    }
  }
  return links;
}

/** What SerialPort.list() tells of one port. */
export type ListedSerialPort = Omit<SerialPortEntry, 'byId'>;

/** `list` is SerialPort.list unless a test passes another. */
export async function listSerialPorts(list: () => Promise<ListedSerialPort[]> = () => SerialPort.list()): Promise<SerialPortList> {
  const links = await byIdLinks();
  let ports: ListedSerialPort[];
  try {
    ports = await list();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const warning = /udevadm/.test(message)
      ? 'udevadm is missing (apt-get install -y udev): only ports under /dev/serial/by-id are listed'
      : `the serial ports cannot be listed (${message}): only ports under /dev/serial/by-id are listed`;
    return { ports: [...links].map(([path, byId]) => ({ path, byId })), warning };
  }
  return {
    ports: ports.map((port) => ({
      path: port.path,
      byId: links.get(port.path) ?? null,
      ...(port.manufacturer !== undefined && { manufacturer: port.manufacturer }),
      ...(port.serialNumber !== undefined && { serialNumber: port.serialNumber }),
      ...(port.vendorId !== undefined && { vendorId: port.vendorId }),
      ...(port.productId !== undefined && { productId: port.productId }),
    })),
  };
}
