-- An import used only to name a type in an annotation is used.
local sql = require("sql")
local function rows(db: sql.DB): integer
    local r = db:query("SELECT 1")
    return #r
end
print(rows)
