-- `name?:` fields and fields whose type admits nil may be left out.
type Query = {sql: string, limit?: integer, offset: integer?}
local function run(q: Query): string
    return q.sql
end
print(run({ sql = "SELECT 1" }))
print(run({ sql = "SELECT 1", limit = 10 }))
print(run({ sql = "SELECT 1", offset = 5 }))
