// Requirements of the tutorial's address sections: list, read, update, delete, tags, default.
import { requirement } from '../findings.ts';

export const ADDRESS_LISTED = requirement({
  code: 'address.listed',
  source: 'T',
  reference: 'Tutorial, "Retrieving customer addresses"',
  summary: 'an address added is listed with the fields sent',
});

export const ADDRESS_DELETED = requirement({
  code: 'address.deleted',
  source: 'T',
  reference: 'Tutorial, "Deleting a customer address"',
  summary: 'a deleted address is no longer listed',
});

// Registered so the requirements catalogue and the report list it as never run: no request can
// observe it, since no document links an account to an address (docs/discrepancies.md row 69).
requirement({
  code: 'address.delete.removes-accounts',
  source: 'T',
  reference: 'Tutorial, "Deleting a customer address": also removes any accounts associated with it',
  summary: "deleting an address removes the accounts associated with it (the customer's own login stays)",
});

export const ADDRESS_DEFAULT_MOVES = requirement({
  code: 'address.default.moves',
  source: 'T',
  reference: 'Tutorial, "Updating a customer address": isDefault true',
  summary: 'an address updated with isDefault true becomes the default',
});

export const ADDRESS_SINGLE_DEFAULT = requirement({
  code: 'address.default.single',
  source: 'B',
  reference: 'docs/behaviour.md "Addresses": at most one default; the first address becomes the default',
  summary: 'while a customer has addresses, exactly one is the default',
});

export const ADDRESS_TAGS = requirement({
  code: 'address.tags.applied',
  source: 'T',
  reference: 'Tutorial, "Adding tags to a customer address"; R: DELETE-customer-remove-address-tags',
  summary: 'adding tags adds them to the ones the address had; removing removes exactly the named ones',
});

export const ADDRESS_TAGS_UNIQUE = requirement({
  code: 'address.tags.unique',
  source: 'B',
  reference: 'docs/behaviour.md "Tags"',
  summary: 'an address holds each tag once',
});

export const ADDRESS_COUNTRY_TWO_LETTERS = requirement({
  code: 'address.country.two-letters',
  source: 'B',
  reference:
    'docs/behaviour.md "Addresses"; docs/discrepancies.md row 10 (R: AddressCreateDto.country is a plain string)',
  summary: 'a country that is not two letters is refused with 400',
});

export const ADDRESS_INVALID_REFUSED = requirement({
  code: 'address.invalid.400',
  source: 'R',
  reference: 'R: POST-customer-add-address 400; AddressCreateDto (types its fields; requires none of them)',
  summary: 'an address the reference rules out is refused with 400',
});

export const ADDRESS_CONTACT_NAME_REQUIRED = requirement({
  code: 'address.contact-name.required',
  source: 'B',
  reference:
    'docs/behaviour.md "Addresses"; docs/discrepancies.md row 73 (R: AddressCreateDto requires no field)',
  summary: 'an address created without contactName is refused with 400',
});
