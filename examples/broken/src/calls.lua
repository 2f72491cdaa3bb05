-- Calls that do not fit the module manifests.
local json = require("json")
local sql = require("sql")
local time = require("time")
local yaml = require("yaml")
local unused_import = require("json")

local function main()
    local data = json.decod("{}")
    local text = json.encode()
    local parsed = json.decode(42)
    local count: number = 3
    local again = json.decode(count)
    local now = time.now()
    local from_time = json.decode(now)
    local db, err = sql.get("app:db")
    if err then
        return nil, err
    end
    local rows = db:qury("SELECT 1")
    local other = db.query("SELECT 1")
    local leftover = 1
    print(undefined_thing)
    return { data, text, parsed, again, from_time, rows, other, yaml }
end

return { main = main }
