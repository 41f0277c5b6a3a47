// Fixed secrets for the test pool only. Two ring keys so rotation can be exercised.
export const TEST_ADMIN_KEY = "esk_admin_0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

export const TEST_ENCRYPTION_KEYS = {
  primary: "k1",
  keys: {
    k1: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    k2: "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=",
  },
} as const;
