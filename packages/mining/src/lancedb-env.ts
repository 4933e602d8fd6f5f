/**
 * LanceDB's native logger reads `LANCEDB_LOG` once, when the native module loads, and by default
 * prints warnings such as "No existing dataset … will be created" for every new table. Keep only
 * errors unless the user set the variable. Import this module before `@lancedb/lancedb`.
 */
process.env.LANCEDB_LOG ??= "error";
