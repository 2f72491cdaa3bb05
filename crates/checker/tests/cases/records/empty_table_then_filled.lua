-- `{}` is a table to be filled: it may stand where a record is declared.
type Config = {host: string, port: integer}
local cfg: Config = {}
cfg.host = "localhost"
cfg.port = 8080
local function use(c: Config?): Config
    c = c or {}
    return c
end
print(cfg.host, use(nil))
