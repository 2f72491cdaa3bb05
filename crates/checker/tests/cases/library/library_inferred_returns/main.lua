-- The importer sees the inferred returns: `db` is a sql.DB, `label` a string.
local store = require("store")

local function main()
    local db = store.get_db()
    db:query("SELECT 1")
    db:qury("SELECT 1") -- expect-error: no method `qury` on sql.DB
    local n: integer = store.label(1) -- expect-error: cannot assign string to `n`, declared integer
    print(n)
end

return { main = main }
