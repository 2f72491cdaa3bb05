-- `self.conn = c` narrows the field path to the assigned value.
type Conn = {query: (self: Conn, q: string) -> string}
type Repo = {conn: Conn?}
local function open(self: Repo, c: Conn): string
    self.conn = c
    return self.conn:query("select 1")
end
print(open)
