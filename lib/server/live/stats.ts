import "server-only";

// What this web process's live side is doing, for GET /api/metrics: its open event streams and
// how often its one LISTEN connection had to be made again. Plain numbers: the hot paths only add.

export const liveStats = {
  /** event streams open now */
  sseClients: 0,
  /** LISTEN connections made again after the one before was lost */
  listenReconnects: 0,
  /** LISTEN connections up now in this process (1 while anybody watches, else 0) */
  listening: 0,
};
