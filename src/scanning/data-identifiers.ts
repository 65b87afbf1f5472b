// ANSI MH10.8.2 data identifiers this decoder knows (meanings after ANS MH10.8.2-2016). Others are accepted without a title.

/** How the data after a data identifier are checked. */
export type DataIdentifierCheck = 'text' | 'quantity' | 'yymmdd' | 'yyyymmdd' | 'license-plate' | 'ppn';

export interface DataIdentifierDefinition {
  title: string;
  check: DataIdentifierCheck;
}

const di = (title: string, check: DataIdentifierCheck = 'text'): DataIdentifierDefinition => ({ title, check });

export const DATA_IDENTIFIERS: ReadonlyMap<string, DataIdentifierDefinition> = new Map([
  ['P', di('Item number assigned by the customer (part number)')],
  ['1P', di('Item number assigned by the supplier (part number)')],
  ['2P', di('Revision level of the item')],
  ['Q', di('Quantity, number of pieces', 'quantity')],
  ['7Q', di('Quantity followed by an ANSI X12.3 unit of measure code')],
  ['T', di('Traceability number assigned by the customer (lot/batch)')],
  ['1T', di('Traceability number assigned by the supplier (lot/batch)')],
  ['S', di('Serial number assigned by the supplier')],
  ['25S', di('Unique item identifier: issuing agency code, company identification, serial number')],
  ['V', di('Supplier code assigned by the customer')],
  ['12V', di('DUNS number identifying the manufacturer')],
  ['K', di('Order number assigned by the customer (purchase order)')],
  ['1K', di('Order number assigned by the supplier')],
  ['2K', di('Shipment identification (bill of lading, waybill) assigned by the supplier')],
  ['L', di('Storage location')],
  ['1L', di('Location')],
  ['9N', di('Pharmacy Product Number (PPN, IFA)', 'ppn')],
  ['D', di('Date (YYMMDD)', 'yymmdd')],
  ['6D', di('Date (YYYYMMDD)', 'yyyymmdd')],
  ['14D', di('Expiration date (YYYYMMDD)', 'yyyymmdd')],
  ['16D', di('Production date (YYYYMMDD)', 'yyyymmdd')],
  ['J', di('Unique license plate number', 'license-plate')],
  ['1J', di('License plate of a transport unit at the lowest level of packaging', 'license-plate')],
  ['2J', di('License plate of a transport unit containing multiple packages', 'license-plate')],
  ['5J', di('License plate of a mixed transport unit (unlike items)', 'license-plate')],
  ['6J', di('License plate of a master transport unit (like items)', 'license-plate')],
  ['Z', di('Mutually defined between customer and supplier')],
]);

/** Data identifiers whose data name a handling unit (contracts §1: 1J, 5J, 6J). */
export const LICENSE_PLATE_DIS: readonly string[] = ['1J', '5J', '6J'];
