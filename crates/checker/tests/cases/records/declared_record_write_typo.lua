-- Writing a field a declared record does not have is E0004.
type User = {name: string, email: string}
local function rename(u: User, n: string)
    u.name = n
    u.emial = "x" -- expect-error: no field `emial` in User; did you mean `email`?
end
rename({ name = "a", email = "b" }, "c")
