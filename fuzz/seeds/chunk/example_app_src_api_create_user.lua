-- Creates a user row and returns it.
local sql = require("sql")
local json = require("json")
local uuid = require("uuid")
local logger = require("logger")
local time = require("time")
local strings = require("strings")

type NewUser = {name: string, email: string}

local function handle(input: NewUser)
    local db, err = sql.get("app:db")
    if err then
        return nil, err
    end
    local _, create_err = db:execute("CREATE TABLE IF NOT EXISTS users (id TEXT, name TEXT, email TEXT, created INTEGER)")
    if create_err then
        db:release()
        return nil, create_err
    end
    local id, id_err = uuid.v4()
    if id_err then
        db:release()
        return nil, id_err
    end
    local name = strings.trim(input.name)
    local created = time.now():unix()
    local result, exec_err = db:execute("INSERT INTO users VALUES (?, ?, ?, ?)", id, name, input.email, created)
    db:release()
    if exec_err then
        logger:error("insert failed", { error = tostring(exec_err) })
        return nil, exec_err
    end
    logger:info("user created", { id = id, rows = result.rows_affected })
    local body = json.encode({ id = id, name = name, slug = strings.slugify(name) })
    return { id = id, name = name, created = created, body = body }
end

return { handle = handle }
