-- Reading a field a declared record does not have is E0004, with a did-you-mean.
type User = {name: string, email: string}
local function mail(u: User): string
    return u.emial -- expect-error: no field `emial` in User; did you mean `email`?
end
print(mail({ name = "a", email = "b" }))
