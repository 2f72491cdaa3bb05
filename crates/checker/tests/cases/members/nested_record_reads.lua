-- Fields of nested declared records are known too.
type Config = {db: {host: string, port: integer}}
local function host(c: Config): string
    return c.db.host .. c.db.hots -- expect-error: no field `hots` in {host: string, port: integer}; did you mean `host`?
end
print(host({ db = { host = "h", port = 1 } }))
