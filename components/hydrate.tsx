import { dehydrate, HydrationBoundary, QueryClient, type QueryKey } from "@tanstack/react-query";

/**
 * Hands the data a server page loaded to the browser's query cache, stamped with when it was read:
 * a query the browser does not have yet starts from it, and one it has is replaced only by newer
 * data. So a page reached again shows what its stream or polling saw last, never an older render
 * kept in the router cache, and a freshly rendered page replaces an older cache entry.
 */
export function Hydrate({ queries, children }: { queries: [QueryKey, unknown][]; children: React.ReactNode }) {
  const client = new QueryClient();
  for (const [key, data] of queries) client.setQueryData(key, data);
  return <HydrationBoundary state={dehydrate(client)}>{children}</HydrationBoundary>;
}
