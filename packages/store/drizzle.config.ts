import { defineConfig } from "drizzle-kit";

// Generates the SQL migrations under drizzle/ that openStore applies on both PGlite and PostgreSQL.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema.ts",
  out: "./drizzle",
});
