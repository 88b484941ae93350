/**
 * The two paging styles of the Describe* actions: `MaxResults` + `NextToken`
 * (preferred by Alibaba) and `PageNumber` + `PageSize` (being retired).
 * When `MaxResults` or `NextToken` is given, token paging wins.
 */
import { ApiError } from "../api-error";
import { optionalInt, type Params } from "../params";

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 100;
const TOKEN_PREFIX = "alisg-emulator:";

export interface Page<T> {
  items: T[];
  /** Fields to merge into the response. */
  fields: { TotalCount: number; NextToken: string; PageNumber: number; PageSize: number };
}

export function paginate<T>(all: readonly T[], params: Params): Page<T> {
  const maxResults = optionalInt(params, "MaxResults", 1, MAX_PAGE_SIZE);
  const tokenStyle = maxResults !== undefined || (params.NextToken ?? "") !== "";
  let offset: number;
  let size: number;
  if (tokenStyle) {
    size = maxResults ?? DEFAULT_PAGE_SIZE;
    offset = params.NextToken ? decodeToken(params.NextToken) : 0;
  } else {
    size = optionalInt(params, "PageSize", 1, MAX_PAGE_SIZE) ?? DEFAULT_PAGE_SIZE;
    const pageNumber = optionalInt(params, "PageNumber", 1, 1_000_000) ?? 1;
    offset = (pageNumber - 1) * size;
  }
  const items = all.slice(offset, offset + size);
  const next = offset + size < all.length ? encodeToken(offset + size) : "";
  return {
    items,
    fields: {
      TotalCount: all.length,
      NextToken: next,
      PageNumber: Math.floor(offset / size) + 1,
      PageSize: size,
    },
  };
}

function encodeToken(offset: number): string {
  return Buffer.from(`${TOKEN_PREFIX}${offset}`).toString("base64url");
}

function decodeToken(token: string): number {
  const text = Buffer.from(token, "base64url").toString("utf8");
  const match = text.startsWith(TOKEN_PREFIX) ? /^\d+$/.exec(text.slice(TOKEN_PREFIX.length)) : null;
  if (!match) {
    throw new ApiError(
      400,
      "InvalidParameter.NextToken",
      `The specified NextToken ${JSON.stringify(token)} is not valid; pass the NextToken of the previous page.`,
    );
  }
  return Number(match[0]);
}
