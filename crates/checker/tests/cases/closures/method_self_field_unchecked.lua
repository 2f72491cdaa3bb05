-- `self.conn` optional and unchecked: reported (a warning in default mode).
type Conn = {query: (self: Conn, q: string) -> string}
type Repo = {conn: Conn?}
local function run(self: Repo, q: string): string
    return self.conn:query(q) -- expect-warning: E0021 cannot call a method of `self.conn`: it may be nil
end
print(run)
