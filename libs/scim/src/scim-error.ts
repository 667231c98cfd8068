/** RFC 7644 §3.12 `scimType` values this service answers. */
export type ScimType = 'invalidFilter' | 'invalidSyntax' | 'invalidPath' | 'invalidValue' | 'uniqueness' | 'mutability' | 'noTarget' | 'tooMany';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** The error body of RFC 7644 §3.12: `status` is a string there. */
export interface ScimErrorBody {
  schemas: [typeof SCIM_ERROR_SCHEMA];
  status: string;
  scimType?: ScimType;
  detail?: string;
}

/** A refusal in SCIM's own terms, thrown by the pure functions of this library and rendered by the API. */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimType | undefined,
    detail: string,
  ) {
    super(detail);
  }

  toBody(): ScimErrorBody {
    return scimErrorBody(this.status, this.message, this.scimType);
  }
}

export function scimErrorBody(status: number, detail: string | undefined, scimType?: ScimType): ScimErrorBody {
  return { schemas: [SCIM_ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), ...(detail ? { detail } : {}) };
}

export const invalidValue = (detail: string) => new ScimError(400, 'invalidValue', detail);
