/*
 * Symbolic and hard links inside a mount work like on any POSIX system, and never lead out of it. In /outputs:
 * a symlink and a hard link to a file are created, read through and listed (a symlink is listed as a link), then
 * removed; links pointing out (absolute, or climbing above the mount) cannot be created, nor any with a ".."
 * component (even one staying inside: a later rename could make it lead out for the host). In /inputs (read-only)
 * the runner made "in -> greeting.txt" and "out -> /etc/passwd": both list as links, the first opens, the second
 * is denied.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *type(unsigned char t) {
    return t == DT_REG ? "file" : t == DT_DIR ? "dir" : t == DT_LNK ? "link" : "other";
}

static void list(const char *dir) {
    DIR *d = opendir(dir);
    if (d == NULL) {
        printf("%s: cannot list: %s\n", dir, strerror(errno));
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            printf("%s: %s %s\n", dir, e->d_name, type(e->d_type));
        }
    }
    closedir(d);
}

static void cat(const char *path) {
    char buf[64];
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("%s: denied\n", path);
        return;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n < 0 ? 0 : n] = 0;
    printf("%s: %s", path, buf);
}

int main(void) {
    int fd = open("/outputs/data.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, "hello\n", 6);
    close(fd);
    printf("symlink: %s\n", symlink("data.txt", "/outputs/link") == 0 ? "ok" : strerror(errno));
    printf("hard link: %s\n", link("/outputs/data.txt", "/outputs/hard") == 0 ? "ok" : strerror(errno));
    char target[64];
    ssize_t n = readlink("/outputs/link", target, sizeof target - 1);
    target[n < 0 ? 0 : n] = 0;
    printf("readlink /outputs/link: %s\n", target);
    cat("/outputs/link");
    cat("/outputs/hard");
    struct stat file, hard, link;
    stat("/outputs/data.txt", &file);
    stat("/outputs/hard", &hard);
    lstat("/outputs/link", &link);
    printf("hard link: nlink %d, same inode %s\n", (int)hard.st_nlink, file.st_ino == hard.st_ino ? "yes" : "no");
    printf("lstat link: %s\n", S_ISLNK(link.st_mode) ? "link" : "not a link");
    list("/outputs");
    printf("absolute link: %s\n", symlink("/etc/passwd", "/outputs/abs") == 0 ? "CREATED" : "refused");
    printf("climbing link: %s\n", symlink("../../etc/passwd", "/outputs/up") == 0 ? "CREATED" : "refused");
    mkdir("/outputs/sub", 0755);
    printf("link with ..: %s\n", symlink("../data.txt", "/outputs/sub/up") == 0 ? "CREATED" : "refused");
    rmdir("/outputs/sub");
    unlink("/outputs/link");
    unlink("/outputs/hard");
    list("/inputs");
    cat("/inputs/in");
    cat("/inputs/out");
    return 0;
}
