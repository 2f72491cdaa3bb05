-- Calls that do not fit the module manifests.
local json = require("json")
local sql = require("sql")
local time = require("time")
local yaml = require("yaml")
local hash = require("hash")
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
    local digest = hash.sha256("x", true, 3)
    local done = db:execute()
    local n: integer = "seven"
    return { data, text, parsed, again, from_time, rows, other, yaml, digest, done, n }
end

local function half(x: number): number
    return tostring(x / 2)
end

print(half(4))

return { main = main }
