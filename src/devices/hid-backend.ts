// How the HID POS scanner reaches HID devices. Injected: node-hid-backend.ts is the real one,
// fake-hid-backend.ts the one for tests and machines without scanners (this kernel has no uhid).

export interface HidDeviceInfo {
  /** What open() takes, e.g. /dev/hidraw3. */
  path: string;
  vendorId: number;
  productId: number;
  /** 0x8C for a barcode scanner's HID POS interface, where the backend can tell. */
  usagePage?: number;
  product?: string;
  serialNumber?: string;
}

export interface HidConnection {
  /** Every input report, report id first. */
  onData(listener: (report: Uint8Array) => void): void;
  /** A read failed: the device is gone or broken; no more data will come. */
  onError(listener: (error: Error) => void): void;
  /** Sends an output report, report id first. */
  write(report: readonly number[]): Promise<void>;
  close(): Promise<void>;
}

export interface HidBackend {
  list(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidConnection>;
}

export const HID_POS_USAGE_PAGE = 0x8c;
