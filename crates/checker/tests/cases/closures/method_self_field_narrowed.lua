-- `self.conn` is a field path: narrowed by a check in a method.
type Conn = {query: (self: Conn, q: string) -> string}
type Repo = {conn: Conn?}
local Repo = {}
function Repo.run(self: Repo, q: string): string
    if not self.conn then
        return ""
    end
    return self.conn:query(q)
end
print(Repo)
